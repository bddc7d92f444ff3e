// React 19 through @nanostores/react, in StrictMode: effects mount, unmount and mount again, the
// listen / unlisten / listen pattern a stream store must survive.
import { useStore } from '@nanostores/react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { client, todos } from '../shared/client';

function App() {
  const status = useStore(client.status);
  const list = useStore(todos);
  const syncStatus = useStore(todos.status);
  const [greeting, setGreeting] = useState('');
  useEffect(() => {
    void client.call('greet', 'react').then(setGreeting);
  }, []);
  return (
    <main>
      <p id="state">{status.state}</p>
      <p id="greeting">{greeting}</p>
      <p id="stream-status">{syncStatus}</p>
      <ul id="todos">
        {list?.map((todo) => (
          <li key={todo.id}>{todo.text}</li>
        ))}
      </ul>
      <button id="add" onClick={() => void client.call('todos/add', 'from react')}>
        add
      </button>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
