import { describe, expect, it } from "vitest";

import { alertAudience, isActive, navigationByRole, primaryRole } from "../navigation";

describe("navigation", () => {
  it("picks the active role when held, else the first", () => {
    expect(primaryRole({ roles: ["ANALYST", "ADMIN"], activeRole: "ADMIN" })).toBe("ADMIN");
    expect(primaryRole({ roles: ["ANALYST"], activeRole: "ADMIN" })).toBe("ANALYST");
    expect(primaryRole({ roles: [] })).toBeNull();
  });

  it("never shows an employer the dose screens", () => {
    const texts = navigationByRole.EMPLOYER_CORRESPONDENT.map((i) => i.text);
    expect(texts).not.toContain("Anomalies");
    expect(texts).toContain("Dépassements");
  });

  it("marks the dashboard active only on /", () => {
    expect(isActive("/", "/")).toBe(true);
    expect(isActive("/", "/anomalies")).toBe(false);
    expect(isActive("/lots", "/lots/12")).toBe(true);
  });

  it("gives explanations to clinicians and no feed to analysts", () => {
    expect(alertAudience("RADIATION_PROTECTION_ADVISER")).toBe("clinical");
    expect(alertAudience("EMPLOYER_CORRESPONDENT")).toBe("employer");
    expect(alertAudience("ANALYST")).toBeNull();
  });
});
