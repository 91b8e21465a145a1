import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import './i18n/index.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { BrowserGate } from './bridge/BrowserGate.js';
import { initTheme } from './theme/theme.js';

initTheme();

const root = document.getElementById('root');
// In the desktop window the preload provides the engine; in a browser the bridge does, after sign-in.
if (root)
  createRoot(root).render(<StrictMode>{window.ems ? <App api={window.ems} /> : <BrowserGate />}</StrictMode>);
