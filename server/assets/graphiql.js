// GraphiQL against the shop's own endpoint: queries and mutations over `POST /graphql` (with the
// signed-in admin's cookies), subscriptions over `/graphql/ws` (graphql-transport-ws).
const socketUrl = `${window.location.origin.replace(/^http/, 'ws')}/graphql/ws`;
const fetcher = GraphiQL.createFetcher({
  url: '/graphql',
  wsClient: graphqlWs.createClient({ url: socketUrl, lazy: true }),
});
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);
