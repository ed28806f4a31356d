import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { SecondFactorScreen } from "../SecondFactor";

const codes = Array.from({ length: 10 }, (_, i) => `AAAA${i}-BBBBB`);

describe("SecondFactorScreen", () => {
  it("verifies a code and shows the server's message for a wrong one", async () => {
    const client = mockClient((name, vars) => {
      if (name !== "VerifySecondFactor") return undefined;
      if (vars.code === "123456") return { data: { verifySecondFactor: { secondFactor: null } } };
      return { errors: [{ message: "Code incorrect ou expiré.", extensions: { code: "SECOND_FACTOR_INVALID" } }] };
    });
    const onDone = vi.fn();
    renderWithProviders(<SecondFactorScreen need="REQUIRED" onDone={onDone} onSignOut={() => {}} />, { client });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Vérification en deux étapes");
    const user = userEvent.setup();
    const field = screen.getByLabelText(/Code de vérification/);
    await user.type(field, "000000");
    await user.click(screen.getByRole("button", { name: "Vérifier" }));
    expect(await screen.findByText("Code incorrect ou expiré.")).toBeInTheDocument();
    expect(field).toHaveAccessibleDescription(expect.stringContaining("Code incorrect ou expiré."));
    expect(onDone).not.toHaveBeenCalled();
    await user.type(field, "123456");
    await user.click(screen.getByRole("button", { name: "Vérifier" }));
    expect(onDone).toHaveBeenCalledOnce();
  });

  it("enrols: QR code and secret, confirmation, then the recovery codes once", async () => {
    const client = mockClient((name) => {
      if (name === "BeginTotpEnrolment")
        return {
          data: {
            beginTotpEnrolment: {
              otpauthURL: "otpauth://totp/SISERI:a@b.fr?secret=JBSWY3DPEHPK3PXP",
              qrCode: "data:image/png;base64,AAAA",
              secret: "JBSWY3DPEHPK3PXP",
            },
          },
        };
      if (name === "ConfirmTotpEnrolment") return { data: { confirmTotpEnrolment: codes } };
      return undefined;
    });
    const onDone = vi.fn();
    renderWithProviders(<SecondFactorScreen need="ENROLMENT_REQUIRED" onDone={onDone} onSignOut={() => {}} />, {
      client,
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Configurer mon application d'authentification" }));
    expect(await screen.findByRole("img", { name: /QR code/ })).toHaveAttribute("src", "data:image/png;base64,AAAA");
    expect(screen.getByTestId("totp-secret")).toHaveTextContent("JBSWY3DPEHPK3PXP");
    await user.type(screen.getByLabelText(/Code affiché par l'application/), "123456");
    await user.click(screen.getByRole("button", { name: "Confirmer" }));
    const list = await screen.findByRole("list", { name: "Codes de secours" });
    expect(list.querySelectorAll("li")).toHaveLength(10);
    expect(onDone).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "J'ai conservé mes codes" }));
    expect(onDone).toHaveBeenCalledOnce();
  });
});
