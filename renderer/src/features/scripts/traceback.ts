/**
 * A Python traceback as the run panel shows it: each line, and for a frame line of a user script
 * (`  File "<set__script>", line 12, in func`: the runner names user scripts `<script id>`) where
 * it points, so the panel can jump the editor there.
 */
export interface TracebackFrame {
  scriptId: string;
  line: number;
  func: string | null;
}

export interface TracebackLine {
  text: string;
  frame: TracebackFrame | null;
}

const FRAME = /^\s*File "<([A-Za-z0-9_]+__[A-Za-z0-9_]+)>", line (\d+)(?:, in (.+))?$/;

export function parseTraceback(text: string): TracebackLine[] {
  return text.split('\n').map((line) => {
    const m = FRAME.exec(line);
    const n = m ? Number(m[2]) : 0;
    return { text: line, frame: m && n > 0 ? { scriptId: m[1]!, line: n, func: m[3] ?? null } : null };
  });
}
