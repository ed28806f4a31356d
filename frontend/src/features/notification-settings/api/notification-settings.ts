import { useMutation, useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The signed-in person's e-mail notification settings, one per kind of event. */
export const NotificationSettingsDocument = graphql(`
  query NotificationSettings {
    notificationSettings {
      kind
      mode
      isDefault
    }
  }
`);

/** Sets how the signed-in person is told about one kind of event; answers every setting. */
export const SetNotificationSettingDocument = graphql(`
  mutation SetNotificationSetting($kind: NotificationKind!, $mode: NotificationMode!) {
    setNotificationSetting(kind: $kind, mode: $mode) {
      kind
      mode
      isDefault
    }
  }
`);

/** Fetches the settings. */
export function useNotificationSettings() {
  return useQuery({ query: NotificationSettingsDocument, requestPolicy: "cache-and-network" });
}

/** The mutation that sets one. */
export function useSetNotificationSetting() {
  return useMutation(SetNotificationSettingDocument);
}
