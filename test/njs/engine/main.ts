/**
 * Runs inside the njs CLI (`njs engine-tests.js vectors.json`): the module cases
 * and the request vectors, through the same modules NGINX loads. Prints a JSON
 * line per result (the CLI cuts long lines) for test/njs/njs-engine.test.ts.
 */
import fs from 'fs';
import { authenticate } from '../../../njs/src/authenticate.ts';
import { moduleCases } from '../../cases/module-cases.ts';
import { answerTo, type Answer } from '../../vectors/answer.ts';

interface Input {
  keySet: unknown;
  now: number;
  vectors: Array<{ name: string; authorization: string[] }>;
}

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8') as string) as Input;

const cases = moduleCases.map(function (testCase) {
  try {
    testCase.run();
    return { name: testCase.name, error: null };
  } catch (e) {
    return { name: testCase.name, error: String(e).slice(0, 1000) };
  }
});

Promise.all(
  input.vectors.map(function (vector) {
    return answerTo(authenticate, vector.authorization, input.keySet, input.now).then(function (answer: Answer) {
      return { name: vector.name, answer: answer };
    });
  }),
).then(function (vectors) {
  console.log(JSON.stringify({ engine: njs.version }));
  cases.forEach(function (result) { console.log(JSON.stringify({ case: result })); });
  vectors.forEach(function (result) { console.log(JSON.stringify({ vector: result })); });
});
