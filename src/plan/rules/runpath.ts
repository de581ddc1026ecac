import { searchPathRule } from './search-path-check.js';

export default searchPathRule('runpath');
