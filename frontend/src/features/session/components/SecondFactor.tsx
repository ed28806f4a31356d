import { useState, type FormEvent } from "react";
import type { CombinedError } from "urql";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import type { SecondFactorRequirement } from "../../../graphql/graphql";
import { apiError } from "../../../lib/errors";
import {
  useBeginTotpEnrolment,
  useConfirmTotpEnrolment,
  useVerifySecondFactor,
} from "../api/second-factor";

/**
 * A field for a TOTP code (6 digits) or a recovery code (XXXXX-XXXXX), with
 * its submit button and the server's error. `onCode` returns the error
 * message to show, or nothing when the code was accepted.
 */
export function CodeForm({
  label,
  hint,
  submitLabel,
  legend,
  onCode,
}: {
  label: string;
  hint: string;
  submitLabel: string;
  legend: string;
  onCode: (code: string) => Promise<string | undefined>;
}) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (code.trim() === "") {
      setError("Saisissez le code.");
      return;
    }
    setBusy(true);
    const message = await onCode(code.trim());
    setBusy(false);
    setError(message);
    if (message) setCode("");
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>{legend}</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <Input
            label={label}
            hintText={hint}
            state={error ? "error" : "default"}
            stateRelatedMessage={error}
            nativeInputProps={{
              name: "code",
              autoComplete: "one-time-code",
              spellCheck: false,
              value: code,
              onChange: (e) => setCode(e.target.value),
            }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <Button type="submit" disabled={busy}>
            {submitLabel}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

/**
 * Awaits a code mutation: returns the server's message when it refused the
 * code, else hands its data to `onOk` (for CodeForm's `onCode`).
 */
export async function sendCode<T>(
  run: Promise<{ error?: CombinedError; data?: T }>,
  onOk: (data: T | undefined) => void,
): Promise<string | undefined> {
  const result = await run;
  if (result.error) return apiError(result.error).message;
  onOk(result.data);
  return undefined;
}

/** The recovery codes, shown once, until the person says they kept them. */
export function RecoveryCodes({ codes, onKept }: { codes: string[]; onKept: () => void }) {
  return (
    <section aria-labelledby="codes-de-secours">
      <h2 id="codes-de-secours" className={fr.cx("fr-h4")}>
        Vos codes de secours
      </h2>
      <Alert
        className={fr.cx("fr-mb-3w")}
        severity="warning"
        small
        description="Ces codes ne seront plus affichés. Conservez-les en lieu sûr : chacun permet une seule connexion si vous n'avez plus accès à votre application d'authentification."
      />
      <ul className={fr.cx("fr-mb-3w")} aria-label="Codes de secours" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <Button onClick={onKept}>J'ai conservé mes codes</Button>
    </section>
  );
}

const codeHint =
  "Code à 6 chiffres affiché par votre application d'authentification, ou l'un de vos codes de secours (format XXXXX-XXXXX).";

/** Asks the code of a session that waits for its second factor. */
function VerifyStep({ onDone }: { onDone: () => void }) {
  const [, verify] = useVerifySecondFactor();
  return (
    <>
      <p>
        Votre compte donne accès à des données de santé ou à l'administration du registre : saisissez le code de
        votre application d'authentification pour terminer la connexion.
      </p>
      <CodeForm
        legend="Terminer la connexion"
        label="Code de vérification"
        hint={codeHint}
        submitLabel="Vérifier"
        onCode={(code) => sendCode(verify({ code }), onDone)}
      />
    </>
  );
}

/** Enrols an authenticator app: QR code, secret, confirmation, recovery codes. */
function EnrolStep({ onDone }: { onDone: () => void }) {
  const [begun, begin] = useBeginTotpEnrolment();
  const [, confirm] = useConfirmTotpEnrolment();
  const [codes, setCodes] = useState<string[]>();
  const enrolment = begun.data?.beginTotpEnrolment;

  if (codes) return <RecoveryCodes codes={codes} onKept={onDone} />;
  return (
    <>
      <p>
        Votre compte donne accès à des données de santé ou à l'administration du registre : il doit être protégé
        par une application d'authentification (par exemple FreeOTP, Aegis, Google Authenticator ou
        Microsoft Authenticator).
      </p>
      {begun.error && (
        <Alert
          className={fr.cx("fr-mb-3w")}
          severity="error"
          title="Inscription impossible"
          description={apiError(begun.error).message}
        />
      )}
      {!enrolment && (
        <Button onClick={() => void begin({})} disabled={begun.fetching}>
          Configurer mon application d'authentification
        </Button>
      )}
      {enrolment && (
        <>
          <h2 className={fr.cx("fr-h4")}>1. Ajoutez SISERI à votre application</h2>
          <p>Scannez ce QR code avec votre application :</p>
          <img
            src={enrolment.qrCode}
            width={200}
            height={200}
            alt="QR code à scanner avec votre application d'authentification"
          />
          <p className={fr.cx("fr-mt-2w")}>
            Ou saisissez cette clé dans l'application :{" "}
            <code data-testid="totp-secret" aria-label="Clé à saisir manuellement">
              {enrolment.secret}
            </code>
          </p>
          <h2 className={fr.cx("fr-h4")}>2. Confirmez avec le code affiché</h2>
          <CodeForm
            legend="Confirmation de l'application d'authentification"
            label="Code affiché par l'application"
            hint="Code à 6 chiffres, renouvelé toutes les 30 secondes."
            submitLabel="Confirmer"
            onCode={(code) => sendCode(confirm({ code }), (data) => setCodes(data?.confirmTotpEnrolment ?? []))}
          />
        </>
      )}
    </>
  );
}

/**
 * « Vérification en deux étapes »: what a password session of a privileged
 * role shows until it gives its second factor (or enrols one).
 */
export function SecondFactorScreen({
  need,
  onDone,
  onSignOut,
}: {
  need: SecondFactorRequirement;
  onDone: () => void;
  onSignOut: () => void;
}) {
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Vérification en deux étapes</h1>
        {need === "REQUIRED" ? <VerifyStep onDone={onDone} /> : <EnrolStep onDone={onDone} />}
        <p className={fr.cx("fr-mt-4w")}>
          <Button priority="tertiary" onClick={onSignOut}>
            Se déconnecter
          </Button>
        </p>
      </div>
    </div>
  );
}
