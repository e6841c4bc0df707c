/**
 * `vitrine validate <folder> [--json]`: reads a brand folder, validates it and prints the problems (grouped
 * by file, or as JSON). Answers the exit code: 0 when it can be published (warnings allowed), 1 on errors.
 */
import path from 'node:path';
import {
  BrandFolderReadError,
  readBrandFolder,
  validateBrandFolder,
  type Problem,
} from '../publish/validate';
import { countProblems, formatProblems } from './format-problems';
import type { ProgressSink } from './progress';

/** Where the command writes and how (standard output and whether it is a terminal, in production). */
export interface CommandIO {
  out(text: string): void;
  color: boolean;
  /** Folder that relative paths on the command line are relative to. */
  cwd: string;
  /** Where long steps report progress (standard error); none when absent. */
  progress?: ProgressSink;
}

/** Runs the validate command on `folder`; answers the process exit code. */
export async function validateCommand(folder: string, json: boolean, io: CommandIO): Promise<number> {
  let problems: Problem[];
  let products = 0;
  try {
    const result = await validateBrandFolder(await readBrandFolder(path.resolve(io.cwd, folder)));
    problems = result.problems;
    products = result.data?.products.length ?? 0;
  } catch (error) {
    if (!(error instanceof BrandFolderReadError)) throw error;
    problems = [error.problem];
  }
  const { errors, warnings } = countProblems(problems);
  if (json) {
    io.out(JSON.stringify({ folder, valid: errors === 0, errors, warnings, products, problems }, null, 2));
  } else {
    io.out(formatProblems(folder, problems, { color: io.color }));
  }
  return errors > 0 ? 1 : 0;
}
