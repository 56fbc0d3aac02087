import './base.css';
import './story.css';
