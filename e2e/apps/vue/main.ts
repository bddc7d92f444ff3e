// Vue 3 through @nanostores/vue, with a render function (no compiler needed).
import { useStore } from '@nanostores/vue';
import { createApp, defineComponent, h, onMounted, ref } from 'vue';
import { client, todos } from '../shared/client';

const App = defineComponent(() => {
  const status = useStore(client.status);
  const list = useStore(todos);
  const syncStatus = useStore(todos.status);
  const greeting = ref('');
  onMounted(() => void client.call('greet', 'vue').then((text) => (greeting.value = text)));
  return () =>
    h('main', [
      h('p', { id: 'state' }, status.value.state),
      h('p', { id: 'greeting' }, greeting.value),
      h('p', { id: 'stream-status' }, syncStatus.value),
      h(
        'ul',
        { id: 'todos' },
        (list.value ?? []).map((todo) => h('li', { key: todo.id }, todo.text)),
      ),
      h('button', { id: 'add', onClick: () => void client.call('todos/add', 'from vue') }, 'add'),
    ]);
});

createApp(App).mount('#app');
