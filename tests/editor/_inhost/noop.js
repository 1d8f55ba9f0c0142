'use strict'; exports.activate = () => {};
