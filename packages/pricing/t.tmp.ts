import { findProvider } from '@pydantic/genai-prices';
for (const m of findProvider({providerId: 'openai'})!.models.filter((x) => x.id.startsWith('ft:'))) console.log(m.id, JSON.stringify(m.match), JSON.stringify(m.prices));
