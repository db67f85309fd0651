import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApiClient } from './api/client';
import './styles.css';

const client = createApiClient();
const root = createRoot(document.getElementById('root') as HTMLElement);

root.render(
  <StrictMode>
    {'error' in client ? (
      <main className="fatal" role="alert">
        <h1>Reminder Desk</h1>
        <p>{client.error}</p>
      </main>
    ) : (
      <App api={client} />
    )}
  </StrictMode>,
);
