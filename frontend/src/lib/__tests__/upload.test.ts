import { parse } from "graphql";
import { afterEach, describe, expect, it, vi } from "vitest";

import { multipartBody, preflightHeader, uploadOperation } from "../upload";

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

/** A stand-in for XMLHttpRequest that records what the upload sends. */
class RecordingXHR {
  static last: RecordingXHR | undefined;
  headers: Record<string, string> = {};
  method = "";
  url = "";
  withCredentials = false;
  status = 200;
  responseText = '{"data":{"submitFile":{"status":"DRY_RUN"}}}';
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  body: unknown;
  constructor() {
    RecordingXHR.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    this.onload?.();
  }
}

describe("uploadOperation", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends the preflight header the server requires, with the session cookie", async () => {
    vi.stubGlobal("XMLHttpRequest", RecordingXHR);
    const doc = parse("mutation UploadProbe($input: SubmitFileInput!) { submitFile(input: $input) { status } }");
    const answer = await uploadOperation(doc, { input: { file: null } }, "input.file", new File(["a;b"], "r.csv"), () => {});
    const xhr = RecordingXHR.last!;
    expect(xhr.method).toBe("POST");
    expect(xhr.headers[preflightHeader]).toBe("1");
    expect(preflightHeader).toBe("GraphQL-Preflight");
    expect(xhr.withCredentials).toBe(true);
    expect(answer).toEqual({ data: { submitFile: { status: "DRY_RUN" } } });
  });
});
