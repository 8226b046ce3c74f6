/**
 * Reads a Prometheus API answer (`{"status":"success","data":{…,"result":[ … ]}}`) as it
 * arrives and hands each element of `result` to `onItem`, parsed on its own: a 100,000-series
 * answer never sits in memory whole, neither as text nor as one parsed tree. Anything else (an
 * error answer) is returned as text, whole, for the caller to report. `onStart` sees what comes
 * before `result` (e.g. its `resultType`) before the first element; when it or `onItem` throws,
 * the rest of the answer is dropped and the error passes on.
 */
export async function streamResult(
  body: ReadableStream<Uint8Array>,
  onItem: (item: unknown) => void,
  onStart: (prefix: string) => void = () => {},
): Promise<{ prefix: string; complete: boolean }> {
  const decoder = new TextDecoder();
  let buf = '';
  let prefix = '';
  let inResult = false;
  let complete = false;
  // Scanner state inside `result`: position, nesting depth, and string/escape flags.
  let i = 0;
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  const scan = () => {
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92)
          escaped = true; // backslash
        else if (c === 34) inString = false; // quote
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) {
        if (depth === 0) start = i;
        depth++;
      } else if (c === 125 || c === 93) {
        if (depth === 0) {
          if (c === 93) complete = true; // the closing bracket of `result`
          if (complete) return;
          continue;
        }
        depth--;
        if (depth === 0) onItem(JSON.parse(buf.slice(start, i + 1)));
      }
    }
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (!inResult) {
        prefix += text;
        const at = prefix.indexOf('"result":[');
        if (at < 0 || !prefix.slice(0, at).includes('"status":"success"')) {
          if (done) break;
          continue;
        }
        inResult = true;
        buf = prefix.slice(at + '"result":['.length);
        prefix = prefix.slice(0, at);
        onStart(prefix);
      } else buf += text;
      if (!complete) {
        scan();
        // Keep only the element being read.
        const keep = depth > 0 ? start : i;
        buf = buf.slice(keep);
        i -= keep;
        if (depth > 0) start = 0;
      }
      if (done) break;
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  }
  return { prefix, complete };
}
