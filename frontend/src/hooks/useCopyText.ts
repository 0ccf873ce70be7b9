import { useState } from "react";

type CopyResult = { ok: true } | { ok: false; text: string };

/**
 * Copies text to the clipboard. The clipboard needs a secure context (HTTPS or localhost), which a
 * self-hosted server may not have, so a failure hands the text back to show instead.
 */
export function useCopyText() {
  const [result, setResult] = useState<CopyResult>({ ok: true });
  const [open, setOpen] = useState(false); // the result outlives `open` while its note fades out
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setResult({ ok: true });
    } catch {
      setResult({ ok: false, text });
    }
    setOpen(true);
  }
  return { copy, result, open, close: () => setOpen(false) };
}
