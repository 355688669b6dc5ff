import { describe, it } from 'vitest';
import { moduleCases } from '../cases/module-cases.ts';

describe('njs modules, in Node', () => {
  it.each(moduleCases.map((testCase) => [testCase.name, testCase] as const))('%s', (_, testCase) => {
    testCase.run();
  });
});
