import { Badge } from "@codegouvfr/react-dsfr/Badge";

import { limitStateViews, type LimitState } from "../lib/dose";

/** A DSFR badge for where a worker stands against a limit. */
export function LimitStateBadge({ state }: { state: LimitState }) {
  const view = limitStateViews[state];
  return (
    <Badge severity={view.severity} small noIcon={state === "OK"}>
      {view.label}
    </Badge>
  );
}
