export type Logger = (
  level: 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** JSON lines on stderr. */
export const jsonLogger: Logger = (level, msg, fields) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`,
  );
};

export const silentLogger: Logger = () => {};
