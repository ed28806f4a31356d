import { describe, expect, it } from "vitest";

import { signInRedirect } from "../sign-in-redirect";

describe("signInRedirect", () => {
  it.each([
    { name: "expired session", path: "/travailleurs", search: "?nom=x", had: true, want: "/connexion?session=expiree" },
    { name: "first visit of home", path: "/", search: "", had: false, want: "/connexion" },
    {
      name: "first visit of a page",
      path: "/travailleurs",
      search: "?nom=Dupont",
      had: false,
      want: "/connexion?retour=%2Ftravailleurs%3Fnom%3DDupont",
    },
    { name: "already on sign-in", path: "/connexion", search: "", had: true, want: null },
    { name: "activation page", path: "/activation/act_x", search: "", had: false, want: null },
  ])("$name", ({ path, search, had, want }) => {
    expect(signInRedirect({ pathname: path, search }, had)).toBe(want);
  });
});
