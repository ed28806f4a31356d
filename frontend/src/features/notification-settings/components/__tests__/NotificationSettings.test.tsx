import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { NotificationSettings } from "../NotificationSettings";

const settings = [
  { __typename: "NotificationSetting", kind: "EXCEEDANCE_TO_CONFIRM", mode: "IMMEDIATE", isDefault: true },
  { __typename: "NotificationSetting", kind: "NEW_ANOMALY", mode: "DAILY_DIGEST", isDefault: true },
  { __typename: "NotificationSetting", kind: "CONFLICT", mode: "IMMEDIATE", isDefault: false },
  { __typename: "NotificationSetting", kind: "BATCH_REJECTED", mode: "OFF", isDefault: true },
];

describe("NotificationSettings", () => {
  it("shows each kind with its mode, and says which are the roles' defaults", async () => {
    const client = mockClient((name) => (name === "NotificationSettings" ? { data: { notificationSettings: settings } } : undefined));
    renderWithProviders(<NotificationSettings />, { client });
    const anomalies = await screen.findByLabelText(/Nouvelle anomalie/);
    expect(anomalies).toHaveValue("DAILY_DIGEST");
    expect(screen.getByLabelText(/Conflit de correction/)).toHaveValue("IMMEDIATE");
    expect(screen.getAllByText(/Réglage par défaut de vos rôles/)).toHaveLength(3);
  });

  it("saves a change at once and confirms it", async () => {
    const client = mockClient((name, variables) => {
      if (name === "NotificationSettings") return { data: { notificationSettings: settings } };
      if (name === "SetNotificationSetting") {
        expect(variables).toEqual({ kind: "NEW_ANOMALY", mode: "OFF" });
        return { data: { setNotificationSetting: settings } };
      }
      return undefined;
    });
    renderWithProviders(<NotificationSettings />, { client });
    await userEvent.selectOptions(await screen.findByLabelText(/Nouvelle anomalie/), "OFF");
    await waitFor(() => expect(client.executeMutation).toHaveBeenCalledTimes(1));
    expect(await screen.findByText("Réglage enregistré : nouvelle anomalie.")).toBeInTheDocument();
  });

  it("shows the server's refusal", async () => {
    const client = mockClient((name) => {
      if (name === "NotificationSettings") return { data: { notificationSettings: settings } };
      if (name === "SetNotificationSetting")
        return { errors: [{ message: "Une clé d'API ne reçoit pas de courriels.", extensions: { code: "FORBIDDEN" } }] };
      return undefined;
    });
    renderWithProviders(<NotificationSettings />, { client });
    await userEvent.selectOptions(await screen.findByLabelText(/Lot refusé/), "IMMEDIATE");
    expect(await screen.findByText("Une clé d'API ne reçoit pas de courriels.")).toBeInTheDocument();
  });
});
