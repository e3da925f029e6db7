import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { call } from './lib/ipc';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target });

// Tells the shell the first page is on screen (start-up timing); harmless if it fails.
requestAnimationFrame(() => {
  call('app_ready').catch(() => undefined);
});

export default app;
