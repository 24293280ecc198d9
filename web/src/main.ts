// The reward debugger page: three views (playground, file, live) switched by the URL hash. The
// shell renders at once; data comes from the service as each view needs it.
import './style.css';
import { CHART_CSS } from '../shared/charts.js';
import { EXPLAIN_CSS } from '../shared/explain.js';
import { onTokenChange, tasks, tokenState } from './api.js';
import { FileView } from './fileView.js';
import { LiveView } from './liveView.js';
import { Playground } from './playground.js';

const VIEWS = ['playground', 'file', 'live'] as const;
type View = (typeof VIEWS)[number];

const style = document.createElement('style');
style.textContent = EXPLAIN_CSS + CHART_CSS;
document.head.append(style);

const section = (view: View) => document.getElementById(`view-${view}`)!;
const playground = new Playground(section('playground'));
const live = new LiveView(section('live'));
let fileView: FileView | undefined;

function show(view: View): void {
  if (view === 'file') fileView ??= new FileView(section('file'), (item) => {
    playground.loadRow(item);
    location.hash = '#playground';
  });
  for (const v of VIEWS) section(v).hidden = v !== view;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) a.classList.toggle('active', a.dataset.view === view);
  live.show(view === 'live');
  document.body.dataset.view = view;
}

function route(): void {
  const view = location.hash.slice(1) as View;
  show(VIEWS.includes(view) ? view : 'playground');
}

const status = document.getElementById('service-status')!;
function renderStatus(semantics?: string): void {
  const token = tokenState.required ? (tokenState.rejected ? 'token rejected' : 'token accepted') : '';
  status.textContent = [semantics && `semantics ${semantics}`, token].filter(Boolean).join(' · ');
  status.className = tokenState.rejected ? 'error' : 'muted';
}
onTokenChange(() => renderStatus(lastSemantics));
let lastSemantics: string | undefined;

window.addEventListener('hashchange', route);
route();
document.body.dataset.ready = 'true';
void playground.start();
void tasks().then(
  (info) => {
    lastSemantics = info.semantics;
    renderStatus(info.semantics);
  },
  () => renderStatus(),
);
