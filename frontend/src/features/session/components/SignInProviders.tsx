import { fr } from "@codegouvfr/react-dsfr";
import { FranceConnectButton } from "@codegouvfr/react-dsfr/FranceConnectButton";
import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";

import { useSignInProviders } from "../api/sign-in-providers";

type Provider = { name: string; label: string; loginPath: string };

/** The button of a provider: the official ProConnect or FranceConnect one where it applies. */
function ProviderButton({ provider, invitation }: { provider: Provider; invitation?: string }) {
  const url = invitation
    ? `${provider.loginPath}?invitation=${encodeURIComponent(invitation)}`
    : provider.loginPath;
  const label = provider.label.toLowerCase();
  if (label.includes("proconnect")) return <ProConnectButton url={url} />;
  if (label.includes("franceconnect")) return <FranceConnectButton url={url} plus={label.includes("+")} />;
  // A plain link: the server answers it with a redirect (a full page load, not an SPA route).
  return (
    <a className={fr.cx("fr-btn", "fr-btn--secondary")} href={url}>
      Se connecter avec {provider.label}
    </a>
  );
}

/**
 * The sign-in buttons of the configured OpenID Connect providers; nothing
 * when the deployment configured none. `invitation` links an invited
 * account on its first sign-in.
 */
export function SignInProviders({ invitation }: { invitation?: string }) {
  const [{ data }] = useSignInProviders();
  const providers = data?.signInProviders ?? [];
  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="fournisseurs-titre" className={fr.cx("fr-mb-6w")}>
      <h2 id="fournisseurs-titre" className={fr.cx("fr-h5")}>
        Se connecter avec un service public d'identité
      </h2>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")} style={{ listStyle: "none", paddingLeft: 0 }}>
        {providers.map((p) => (
          <li key={p.name}>
            <ProviderButton provider={p} invitation={invitation} />
          </li>
        ))}
      </ul>
      <p className={fr.cx("fr-hr-or")}>ou</p>
    </section>
  );
}
