// No Burnrate import: started with `node --import @burnrate/auto`.
import OpenAI from 'openai';
import { makeCalls } from './calls.mjs';

await makeCalls(OpenAI);
