// The app imports openai itself, though its package.json lists only the frameworks.
import '@burnrate/auto';
import OpenAI from 'openai';
import { openaiChat, print } from './calls.mjs';

print(await openaiChat(OpenAI));
