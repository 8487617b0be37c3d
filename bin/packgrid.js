#!/usr/bin/env node
// The packgrid command. TypeScript runs through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
