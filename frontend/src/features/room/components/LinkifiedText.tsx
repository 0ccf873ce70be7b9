import { Link } from "@mui/material";
import { Fragment } from "react";

// Only http(s) addresses become links; trailing punctuation stays text.
const URL_PATTERN = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]}'"]/g;

/** Plain text (React escapes it) with web addresses turned into links that open a new tab. */
export function LinkifiedText({ text }: { text: string }) {
  const parts: (string | { url: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    parts.push(text.slice(last, match.index), { url: match[0] });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, index) =>
        typeof part === "string" ? (
          <Fragment key={index}>{part}</Fragment>
        ) : (
          <Link key={index} href={part.url} target="_blank" rel="noopener noreferrer">
            {part.url}
          </Link>
        ),
      )}
    </>
  );
}
