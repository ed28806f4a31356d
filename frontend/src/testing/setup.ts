import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { setLink } from "@codegouvfr/react-dsfr/link";
import { Link } from "react-router";
import { afterEach } from "vitest";

// What main.tsx's startReactDsfr does for links, without starting the DSFR JS.
setLink({ Link: Link as never });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});
