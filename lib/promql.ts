import { parser } from '@prometheus-io/lezer-promql';

/**
 * Parses a PromQL expression with the official grammar (the one the
 * Prometheus UI uses) and returns the offset of the first syntax error, or
 * undefined when the expression parses.
 */
export function promqlSyntaxError(expr: string): { offset: number; message: string } | undefined {
  if (expr.trim() === '') return { offset: 0, message: 'expression is empty' };
  let offset: number | undefined;
  parser.parse(expr).iterate({
    enter: node => {
      if (offset === undefined && node.type.isError) offset = node.from;
      return offset === undefined;
    },
  });
  if (offset === undefined) return undefined;
  const near = expr.slice(Math.max(0, offset - 10), offset + 10);
  return { offset, message: `syntax error at offset ${offset} (near '${near}')` };
}
