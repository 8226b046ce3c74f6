import '@burnrate/auto';
import OpenAI from 'openai';
import { withAttribution } from '@burnrate/auto';
import { makeCalls } from './calls.mjs';

await makeCalls(OpenAI, withAttribution);
