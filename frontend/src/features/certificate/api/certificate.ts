/** Where the signed PDF certificate of a worker is downloaded (session cookie). */
export function certificateDownloadPath(workerID: string) {
  return `/certificats/${encodeURIComponent(workerID)}`;
}

/** The server's answer about a certificate: nothing but authentic or not, its date and its holder's initials. */
export type Verdict = {
  authentic: boolean;
  id?: string;
  issued?: string;
  holder?: string;
  message: string;
};

async function answer(res: Response): Promise<Verdict> {
  const body = (await res.json()) as Verdict & { errors?: { message: string }[] };
  if (!res.ok) throw new Error(body.errors?.[0]?.message ?? "La vérification a échoué. Réessayez.");
  return body;
}

/** Checks the signed query of a certificate's QR code. */
export async function verifyLink(id: string, search: string): Promise<Verdict> {
  return answer(await fetch(`/certificats/verification/${encodeURIComponent(id)}${search}`));
}

/** Checks that an uploaded PDF is exactly the certificate the registry issued. */
export async function verifyFile(file: Blob): Promise<Verdict> {
  return answer(await fetch("/certificats/verification", { method: "POST", headers: { "Content-Type": "application/pdf" }, body: file }));
}
