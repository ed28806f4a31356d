import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Select } from "@codegouvfr/react-dsfr/Select";

import type { NotificationKind, NotificationMode } from "../../../graphql/graphql";
import { apiError } from "../../../lib/errors";
import { useNotificationSettings, useSetNotificationSetting } from "../api/notification-settings";

/** What each kind of event is, as the person reads it. */
export const kindLabels: Record<NotificationKind, { label: string; hint: string }> = {
  EXCEEDANCE_TO_CONFIRM: {
    label: "Dépassement de limite à confirmer",
    hint: "Pour le médecin du travail : un dépassement attend sa confirmation.",
  },
  NEW_ANOMALY: { label: "Nouvelle anomalie", hint: "Une anomalie que vous pouvez consulter vient d'être détectée." },
  CONFLICT: { label: "Conflit de correction", hint: "Un renvoi du laboratoire contredit une correction : une décision est attendue." },
  BATCH_REJECTED: { label: "Lot refusé", hint: "Un lot déposé a été refusé en entier." },
};

/** The modes, in the order they are offered. */
export const modeLabels: Record<NotificationMode, string> = {
  IMMEDIATE: "Un courriel à chaque événement",
  DAILY_DIGEST: "Un récapitulatif quotidien",
  OFF: "Aucun courriel",
};

/** The signed-in person's choices of e-mail notifications, saved as soon as one changes. */
export function NotificationSettings() {
  const [{ data, fetching, error }] = useNotificationSettings();
  const [{ fetching: saving, error: saveError }, save] = useSetNotificationSetting();
  const [saved, setSaved] = useState<NotificationKind | null>(null);

  if (error) return <Alert severity="error" small description={apiError(error).message} />;
  if (fetching && !data) return <p>Chargement des réglages…</p>;
  const settings = data?.notificationSettings ?? [];

  async function change(kind: NotificationKind, mode: NotificationMode) {
    setSaved(null);
    const res = await save({ kind, mode });
    if (!res.error) setSaved(kind);
  }

  return (
    <form onSubmit={(ev) => ev.preventDefault()} aria-label="Notifications par courriel">
      <p>
        SISERI vous prévient par courriel lorsqu'un événement vous attend. Ces courriels ne contiennent aucune donnée de
        santé : ni nom, ni valeur de dose, seulement un lien vers l'écran à consulter. Le courriel d'activation d'un
        compte est toujours envoyé.
      </p>
      {saveError && <Alert severity="error" small description={apiError(saveError).message} className={fr.cx("fr-mb-2w")} />}
      {saved && (
        <Alert
          severity="success"
          small
          description={`Réglage enregistré : ${kindLabels[saved].label.toLowerCase()}.`}
          className={fr.cx("fr-mb-2w")}
        />
      )}
      {settings.map((s) => (
        <Select
          key={s.kind}
          label={kindLabels[s.kind].label}
          hint={s.isDefault ? `${kindLabels[s.kind].hint} Réglage par défaut de vos rôles.` : kindLabels[s.kind].hint}
          disabled={saving}
          nativeSelectProps={{
            value: s.mode,
            onChange: (ev) => void change(s.kind, ev.target.value as NotificationMode),
          }}
        >
          {(Object.keys(modeLabels) as NotificationMode[]).map((m) => (
            <option key={m} value={m}>
              {modeLabels[m]}
            </option>
          ))}
        </Select>
      ))}
    </form>
  );
}
