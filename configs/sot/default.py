# The SOT config the app uses by default, under one stable name for users and scripts: the SiamFC-style tracker on
# the default detector's MobileNetV3 features (works with the models `npm install` converts; no download).
_base_ = ['./siamfc/siamfc_mobilenetv3-centernet-coco.py']
