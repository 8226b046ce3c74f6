import OpenAI from 'openai';

new OpenAI({ apiKey: 'k' });
