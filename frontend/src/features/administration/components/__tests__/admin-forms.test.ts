import { describe, expect, it } from "vitest";

import { grantInput } from "../AdminGrantForm";
import { accreditationState } from "../AdminLaboratories";

describe("grantInput", () => {
  it.each([
    { role: "EMPLOYER_CORRESPONDENT" as const, scope: "e:7", want: { establishmentID: "7" } },
    { role: "OCCUPATIONAL_PHYSICIAN" as const, scope: "c:3", want: { companyID: "3" } },
    { role: "RADIATION_PROTECTION_ADVISER" as const, scope: "e:9", want: { establishmentID: "9" } },
    { role: "LABORATORY" as const, scope: "4", want: { laboratoryID: "4" } },
    { role: "CONTROL_AGENT" as const, scope: "84", want: { region: "84" } },
    { role: "WORKER" as const, scope: " 12 ", want: { workerID: "12" } },
    { role: "ANALYST" as const, scope: "", want: {} },
  ])("puts the scope of a $role grant where the server expects it", ({ role, scope, want }) => {
    expect(grantInput("1", role, scope, "2026-12-06")).toEqual({ accountID: "1", role, validFrom: "2026-12-06T00:00:00Z", ...want });
  });
});

describe("accreditationState", () => {
  const lab = { active: true, accreditationValidFrom: "2026-01-01", accreditationValidTo: "2026-10-31" };
  it("tells a valid, expired, future or deactivated accreditation", () => {
    expect(accreditationState(lab, "2026-10-31")).toBe("Valide");
    expect(accreditationState(lab, "2026-11-01")).toBe("Expirée le 31/10/2026");
    expect(accreditationState(lab, "2025-12-31")).toBe("À partir du 01/01/2026");
    expect(accreditationState({ ...lab, active: false }, "2026-06-01")).toBe("Désactivé");
  });
});
