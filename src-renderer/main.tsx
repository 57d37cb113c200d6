import { StrictMode, lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { onHub } from './hub/hub-api';
import './styles.css';

// The hub serves this same app with its mark on the page: its screens instead of the POS (their own chunk).
const HubApp = lazy(() => import('./hub/HubApp').then((m) => ({ default: m.HubApp })));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {onHub() ? (
      <Suspense fallback={<div className="center-screen muted">Cargando…</div>}>
        <HubApp />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
