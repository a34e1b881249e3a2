/** A model file cannot be converted: the message names the file or node and what is wrong with it. */
export class ModelConversionError extends Error {
  override name = 'ModelConversionError';
}
