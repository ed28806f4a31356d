import { describe, expect, it } from "vitest";

import { toCsv } from "../csv";

describe("toCsv", () => {
  it("writes a BOM, semicolons and CRLF", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("\uFEFFa;b\r\n1;x\r\n");
  });

  it("quotes separators, quotes and line breaks, and leaves empty cells for null", () => {
    expect(toCsv(["v"], [['a;b'], ['dit "non"'], ["l1\nl2"], [null]])).toBe(
      '\uFEFFv\r\n"a;b"\r\n"dit ""non"""\r\n"l1\nl2"\r\n\r\n',
    );
  });
});
