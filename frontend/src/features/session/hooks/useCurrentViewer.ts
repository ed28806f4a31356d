import { createContext, useContext } from "react";

import type { ViewerQuery } from "../../../graphql/graphql";

/** The signed-in caller as the `Viewer` query returns it. */
export type CurrentViewer = ViewerQuery["me"];

/** Holds the signed-in caller below the authentication guard. */
export const CurrentViewerContext = createContext<CurrentViewer | null>(null);

/** Returns the signed-in caller; only valid below the authentication guard. */
export function useCurrentViewer(): CurrentViewer {
  const viewer = useContext(CurrentViewerContext);
  if (!viewer) {
    throw new Error("useCurrentViewer must be used below RequireViewer");
  }
  return viewer;
}
