import './base.css';
import './runstable.css';
import './story.css';
