// One minifier setting for the CDN build and the size check, so the budgets measure what ships.
export const TERSER_OPTIONS = {
  ecma: 2020,
  module: true,
  compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true, pure_getters: true },
};
