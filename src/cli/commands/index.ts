import type { Command } from '../command.js';
import { demoTemplateCommand } from './demo-template.command.js';
import { exportCommand } from './export.command.js';
import { fetchCommand } from './fetch.command.js';
import { importCommand } from './import.command.js';
import { migrateCommand } from './migrate.command.js';
import { reindexCommand } from './reindex.command.js';
import { serveCommand } from './serve.command.js';
import { tokenCommand } from './token.command.js';
import { userCommand } from './user.command.js';
import { workerCommand } from './worker.command.js';

/** Every `packgrid` command, in the order `--help` lists them. */
export const commands: Command[] = [
  serveCommand,
  migrateCommand,
  importCommand,
  exportCommand,
  reindexCommand,
  userCommand,
  tokenCommand,
  fetchCommand,
  workerCommand,
  demoTemplateCommand,
];
