import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { render } from 'preact';
import { App } from './components/app.js';

const root = document.getElementById('app')!;
// The static "Loading" line is for the moment before this script runs; Preact would keep it beside the app.
root.textContent = '';
render(<App />, root);
