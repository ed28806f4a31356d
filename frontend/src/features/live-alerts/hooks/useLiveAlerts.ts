import { createContext, useContext } from "react";

/** A live anomaly as the notification centre keeps it. */
export type LiveAlert = {
  id: string;
  createdAt: string;
  kind: string;
  severity: string;
  explanation?: string | null;
  workerName: string;
  workerID: string;
  establishmentName: string;
  read: boolean;
};

/** The notification centre: received alerts, newest first, and how to mark them read. */
export type LiveAlerts = {
  alerts: LiveAlert[];
  unread: number;
  markAllRead: () => void;
  /** True once the websocket subscription is running. */
  connected: boolean;
};

export const LiveAlertsContext = createContext<LiveAlerts>({ alerts: [], unread: 0, markAllRead: () => {}, connected: false });

/** Returns the notification centre of the signed-in caller. */
export function useLiveAlerts(): LiveAlerts {
  return useContext(LiveAlertsContext);
}
