import '@burnrate/auto';
import { withAttribution } from '@burnrate/auto';
import OpenAI from 'openai';
import { makeCalls } from './calls.mjs';

await makeCalls(OpenAI, withAttribution);
