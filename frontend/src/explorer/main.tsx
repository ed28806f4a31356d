import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";
import "./explorer.css";
import { Explorer } from "./Explorer";

createRoot(document.getElementById("explorer-root")!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
