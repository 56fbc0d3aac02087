import './base.css';
import './runstable.css';
