/** Returns the nodes of a Relay connection, whose edges and nodes are nullable. */
export function connectionNodes<N>(connection: {
  edges?: ReadonlyArray<{ node?: N | null } | null> | null;
}): N[] {
  return (connection.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
}
