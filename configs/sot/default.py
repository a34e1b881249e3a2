# The SOT config the app uses by default, under one stable name for users and scripts: the SiamFC-style tracker on
# the default detector's MobileNetV3 features (works with the models `npm install` converts; no download).
# data.test is LaSOT's (mmtrack test; point it at a folder of sequences with --cfg-options
# data.test.img_prefix=DIR data.test.ann_file=None).
_base_ = ['./siamfc/siamfc_mobilenetv3-centernet-coco.py', '../_base_/datasets/lasot.py']
