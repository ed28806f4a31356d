import { fr } from "@codegouvfr/react-dsfr";
import { Tag } from "@codegouvfr/react-dsfr/Tag";

import type { Role } from "../../../graphql/graphql";
import { roleLabels } from "../../../lib/roles";

/** The caller's roles, each once, as a DSFR tag group with their French labels. */
export function RoleTags({ roles }: { roles: readonly Role[] }) {
  if (roles.length === 0) {
    return <p>Aucun rôle ne vous est attribué pour le moment.</p>;
  }
  return (
    <ul className={fr.cx("fr-tags-group")} aria-label="Vos rôles">
      {[...new Set(roles)].map((role) => (
        <li key={role}>
          <Tag>{roleLabels[role]}</Tag>
        </li>
      ))}
    </ul>
  );
}
