// The refusals lib/ words for a person (AppError's `key`): their English is lib/'s own, the message
// the API returns, kept in lib/core/error-text.ts so the two cannot drift apart.
export { errorText as errors } from "@/lib/core/error-text";
