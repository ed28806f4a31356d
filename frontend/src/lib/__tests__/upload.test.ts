import { describe, expect, it } from "vitest";

import { multipartBody } from "../upload";

describe("multipartBody", () => {
  it("follows the GraphQL multipart request spec", async () => {
    const body = multipartBody("mutation M($f: Upload!) { x(f: $f) }", { input: { file: null } }, "input.file", new File(["a;b"], "r.csv"), "r.csv");
    expect(JSON.parse(body.get("operations") as string)).toEqual({
      query: "mutation M($f: Upload!) { x(f: $f) }",
      variables: { input: { file: null } },
    });
    expect(JSON.parse(body.get("map") as string)).toEqual({ "0": ["variables.input.file"] });
    const file = body.get("0") as File;
    expect(file.name).toBe("r.csv");
    expect(await file.text()).toBe("a;b");
  });
});
