/**
 * One clear error for a bad prices file: the message names the file, the line and the field, e.g.
 * `prices.yaml:12: models[1].input_per_mtok: expected a non-negative number, got "abc"`.
 */
export class PricesFileError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly detail: string;

  constructor(file: string, detail: string, line?: number, field?: string) {
    const where = line === undefined ? file : `${file}:${line}`;
    super(field ? `${where}: ${field}: ${detail}` : `${where}: ${detail}`);
    this.name = 'PricesFileError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }
}
