/**
 * Renders validation problems for a terminal: grouped by file, one line each as `file:line:column severity
 * CODE  message`, the hint on the line below, then a summary line. Colours only when asked (a TTY).
 */
import type { Problem } from '../publish/validate';

/** How to render: colours for a terminal, plain text otherwise. */
export interface FormatOptions {
  color: boolean;
}

const paint = (on: boolean, code: number, text: string): string =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;

/** `products.json:42:17`, `models/chair.glb /meshes/0`, or just the file. */
export function problemLocation(problem: Problem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  if (problem.pointer !== undefined) return `${problem.file} ${problem.pointer}`;
  return problem.file;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Counts errors and warnings. */
export function countProblems(problems: readonly Problem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** The report of one validated folder, ending with a summary line. */
export function formatProblems(folder: string, problems: readonly Problem[], options: FormatOptions): string {
  const { color } = options;
  const lines: string[] = [];
  const byFile = new Map<string, Problem[]>();
  for (const problem of problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
  for (const [file, list] of byFile) {
    const { errors, warnings } = countProblems(list);
    const counts = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
      .filter(Boolean)
      .join(', ');
    lines.push(paint(color, 1, file === '.' ? folder : file) + paint(color, 2, `  (${counts})`));
    for (const problem of list) {
      const severity =
        problem.severity === 'error' ? paint(color, 31, 'error  ') : paint(color, 33, 'warning');
      lines.push(
        `  ${problemLocation(problem)} ${severity} ${paint(color, 1, problem.code)}  ${problem.message}`,
      );
      if (problem.hint) lines.push(paint(color, 2, `      hint: ${problem.hint}`));
    }
    lines.push('');
  }
  const { errors, warnings } = countProblems(problems);
  const files = byFile.size;
  if (errors > 0) {
    lines.push(
      paint(
        color,
        31,
        `✖ ${folder}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`,
      ) + ' — fix the errors before publishing',
    );
  } else if (warnings > 0) {
    lines.push(
      paint(
        color,
        33,
        `✔ ${folder} is valid, with ${plural(warnings, 'warning')} in ${plural(files, 'file')}`,
      ),
    );
  } else {
    lines.push(paint(color, 32, `✔ ${folder} is valid: no problems`));
  }
  return lines.join('\n');
}
